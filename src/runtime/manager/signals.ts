/** Shutdown signals: SIGTERM (what Kubernetes sends) and SIGINT (Ctrl-C) abort the returned signal. */

/** An AbortSignal aborted by the first SIGTERM or SIGINT; a second one exits at once (code 1). */
export function signalHandler(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(1);
    controller.abort(new Error(`received ${name}`));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return controller.signal;
}
