namespace Vats.KernelClient;

/// <summary>Something went wrong with a vat worker process or what it sent. The subclasses say what.</summary>
public class VatWorkerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VatWorkerException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>Why a worker process ended, as the kernel tells it apart (xsnap's exit codes).</summary>
public enum WorkerExitReason
{
    /// <summary>Exit code 0: it quit or saw the end of its command stream.</summary>
    Quit,

    /// <summary>Exit code 17: a command used more compute (fuel) than the worker's limit ("Compute meter exceeded").</summary>
    ComputeMeterExceeded,

    /// <summary>Exit code 11: the JavaScript heap reached its limit ("Allocate meter exceeded").</summary>
    AllocateMeterExceeded,

    /// <summary>Exit code 12: the stack overflowed ("Stack meter exceeded").</summary>
    StackMeterExceeded,

    /// <summary>Exit code 15: quit right after a command that threw.</summary>
    UnhandledException,

    /// <summary>Exit code 2: the worker saw broken framing, an unknown command or a failed snapshot read or write.</summary>
    ProtocolError,

    /// <summary>Exit code 1: the worker rejected its command line.</summary>
    BadUsage,

    /// <summary>Killed by a signal (for example by <see cref="VatWorker.Kill()"/>, or <c>kill -9</c>).</summary>
    Signal,

    /// <summary>Any other exit code (255: an exception escaped the event loop, or the engine failed).</summary>
    Other,
}

/// <summary>
/// The worker process ended (or was killed) while a command needed it, or before. A resource fault
/// (<see cref="WorkerExitReason.ComputeMeterExceeded"/>, <see cref="WorkerExitReason.AllocateMeterExceeded"/>) ends a
/// vat; the others are bugs or crashes.
/// </summary>
public sealed class WorkerExitedException : VatWorkerException
{
    /// <summary>Creates the exception for a worker that ended with <paramref name="exitCode"/>.</summary>
    public WorkerExitedException(string worker, int exitCode, string? detail = null)
        : base($"{worker} {Describe(exitCode)}{(detail is null ? "" : $": {detail}")}")
    {
        ExitCode = exitCode;
        Reason = ReasonOf(exitCode);
    }

    /// <summary>The exit code (128 + N for signal N, as a shell shows it).</summary>
    public int ExitCode { get; }

    /// <summary>What the exit code means.</summary>
    public WorkerExitReason Reason { get; }

    /// <summary>The exit code's meaning, in xsnap's words where xsnap has them.</summary>
    public static WorkerExitReason ReasonOf(int exitCode) => exitCode switch
    {
        0 => WorkerExitReason.Quit,
        1 => WorkerExitReason.BadUsage,
        2 => WorkerExitReason.ProtocolError,
        11 => WorkerExitReason.AllocateMeterExceeded,
        12 => WorkerExitReason.StackMeterExceeded,
        15 => WorkerExitReason.UnhandledException,
        17 => WorkerExitReason.ComputeMeterExceeded,
        > 128 and < 160 => WorkerExitReason.Signal,
        _ => WorkerExitReason.Other,
    };

    private static string Describe(int exitCode) => ReasonOf(exitCode) switch
    {
        WorkerExitReason.ComputeMeterExceeded => "exited with code 17: Compute meter exceeded",
        WorkerExitReason.AllocateMeterExceeded => "exited with code 11: Allocate meter exceeded",
        WorkerExitReason.StackMeterExceeded => "exited with code 12: Stack meter exceeded",
        WorkerExitReason.Signal => $"was killed by signal {exitCode - 128}",
        _ => $"exited with code {exitCode}: {Protocol.ExitCodes.Describe(exitCode)}",
    };
}

/// <summary>
/// The worker sent something that breaks the protocol (bad framing, an unknown message type, an oversized message,
/// an unexpected reply). The client killed the worker: its state can no longer be trusted.
/// </summary>
public sealed class WorkerProtocolException(string message, Exception? inner = null) : VatWorkerException(message, inner);

/// <summary>
/// The worker did not introduce itself as expected (no hello in time, another protocol version, or another QuickJS
/// build than the client requires). The client killed it.
/// </summary>
public sealed class WorkerHandshakeException(string message, Exception? inner = null) : VatWorkerException(message, inner);

/// <summary>
/// JavaScript threw synchronously from the command (xsnap's <c>!</c> reply). The worker is still running.
/// </summary>
public sealed class WorkerCommandException : VatWorkerException
{
    /// <summary>Creates the exception.</summary>
    public WorkerCommandException(string worker, string errorText)
        : base($"uncaught exception in {worker}: {errorText}")
    {
        ErrorText = errorText;
    }

    /// <summary><c>String(exception)</c> as the worker reported it.</summary>
    public string ErrorText { get; }
}
