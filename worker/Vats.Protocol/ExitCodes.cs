namespace Vats.Protocol;

/// <summary>xsnap-worker's exit codes, which the parent turns into delivery errors or kernel panics.</summary>
public static class ExitCodes
{
    /// <summary>Quit (<c>q</c>) or end of the command stream, the last command having succeeded.</summary>
    public const int Success = 0;

    /// <summary>Bad command line.</summary>
    public const int BadUsage = 1;

    /// <summary>Broken framing, an unknown command, a failed snapshot read or write, or the parent gone.</summary>
    public const int IoError = 2;

    /// <summary>The heap reached its limit ("Allocate meter exceeded").</summary>
    public const int NotEnoughMemory = 11;

    /// <summary>The stack overflowed ("Stack meter exceeded").</summary>
    public const int StackOverflow = 12;

    /// <summary>Quit or end of stream right after a command that threw.</summary>
    public const int UnhandledException = 15;

    /// <summary>No more keys (XS's key table is full).</summary>
    public const int NoMoreKeys = 16;

    /// <summary>The compute limit (<c>-l</c>) was exceeded ("Compute meter exceeded").</summary>
    public const int TooMuchComputation = 17;

    /// <summary>Anything else that ends the worker, e.g. an exception escaping a <c>setImmediate</c> callback (−1 as a byte).</summary>
    public const int UnknownError = 255;

    /// <summary>What the parent reports for an exit code, in xsnap's words where xsnap has them.</summary>
    public static string Describe(int code) => code switch
    {
        Success => "exited normally",
        BadUsage => "bad command line",
        IoError => "I/O or protocol error",
        NotEnoughMemory => "Allocate meter exceeded",
        StackOverflow => "Stack meter exceeded",
        UnhandledException => "unhandled exception",
        NoMoreKeys => "no more keys",
        TooMuchComputation => "Compute meter exceeded",
        UnknownError => "unknown error (an exception escaped the event loop, or the engine failed)",
        _ => $"exit code {code}",
    };
}
