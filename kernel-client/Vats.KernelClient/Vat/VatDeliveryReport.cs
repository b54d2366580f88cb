namespace Vats.KernelClient;

/// <summary>Answers the syscalls of a delivery, synchronously, as a kernel does (from its own state, without waiting).</summary>
public delegate VatSyscallResult SyscallHandler(VatSyscallObject syscall);

/// <summary>One syscall of a delivery: what the vat asked, exactly as the worker sent it, and what the kernel answered.</summary>
/// <param name="Syscall">The syscall.</param>
/// <param name="Json">Its JSON text as the worker sent it (replay compares these).</param>
/// <param name="Result">The kernel's answer.</param>
public sealed record SyscallRecord(VatSyscallObject Syscall, string Json, VatSyscallResult Result);

/// <summary>What a delivery did: its result, the worker's meter report, and every syscall in order.</summary>
/// <param name="Result">The delivery result (ok, or error: the kernel then terminates the vat).</param>
/// <param name="Meter">The meter report of the crank.</param>
/// <param name="Syscalls">The syscalls the vat made, in order, with their answers.</param>
public sealed record VatDeliveryReport(VatDeliveryResult Result, MeterUsage? Meter, IReadOnlyList<SyscallRecord> Syscalls);

/// <summary>A console line the supervisor forwarded (<c>["sourcedConsole", source, level, ...args]</c>).</summary>
/// <param name="Source"><c>vat</c> (the vat's console), <c>ls</c> (liveslots) or <c>xsnap</c> (raw <c>print</c>).</param>
/// <param name="Level">debug, log, info, warn or error.</param>
/// <param name="Text">The arguments joined by spaces (strings as they are, other values as JSON).</param>
public sealed record VatConsoleLine(string Source, string Level, string Text);

/// <summary>
/// The supervisor refused a command: <c>["err", name, message]</c> (e.g. a <c>setBundle</c> whose bundle does not
/// load), or a reply that is not a delivery result at all.
/// </summary>
public sealed class VatDispatchException(string message) : VatWorkerException(message);
