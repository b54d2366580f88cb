namespace Vats.KernelClient;

/// <summary>A command's successful reply: its bytes and the worker's meter report for the command.</summary>
/// <param name="Bytes">The reply bytes (after the meter JSON).</param>
/// <param name="Meter">The meter report; null when the worker sent none (a bare <c>.</c>).</param>
public sealed record WorkerReply(byte[] Bytes, MeterUsage? Meter);
