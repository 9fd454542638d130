import { flushSync } from 'react-dom';

/**
 * ReactDOM.flushSync in the shape RouterProvider's `flushSync` prop wants, so that
 * `navigate(to, { flushSync: true })` renders the new page before the next line runs (what
 * `react-router/dom`'s RouterProvider does, without a second import path for the router).
 */
export function flushRouterUpdates(fn: () => unknown): undefined {
  flushSync(fn);
  return undefined;
}
