/** A configuration error that names the option at fault and why (thrown at setup, never per request). */
export class AdapterConfigError extends TypeError {
  constructor(readonly option: string, reason: string) {
    super(`wafer adapter: ${option} ${reason}`);
    this.name = "AdapterConfigError";
  }
}
