import { FercError } from "../errors.js";

/**
 * A run asked for in a way that cannot work (an override out of range, data that is not where the
 * record says): the caller's mistake, which the CLI reports as a usage error (exit 2).
 */
export class RunRequestError extends FercError {
  override readonly name = "RunRequestError";
  readonly kind = "usage";
}
