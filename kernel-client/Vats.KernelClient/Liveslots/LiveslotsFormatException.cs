namespace Vats.KernelClient;

/// <summary>
/// Bytes that should hold a liveslots shape (a delivery, syscall, result, meter record or smallcaps body)
/// do not: invalid UTF-8 or JSON, not an array, the wrong number of elements, or an element of the wrong type.
/// The message names the shape, where in it the problem is, what was expected and what was found, e.g.
/// <c>syscall "send" at $[2].methargs.slots[0]: expected a string (vref), found number 5</c>.
/// </summary>
/// <remarks>A kernel treats a syscall that fails to parse as an illegal syscall, like an unknown one.</remarks>
public sealed class LiveslotsFormatException : FormatException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was expected and what was found.</param>
    public LiveslotsFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the lower-level error behind it.</summary>
    /// <param name="message">What was expected and what was found.</param>
    /// <param name="innerException">The error that revealed the problem.</param>
    public LiveslotsFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal LiveslotsFormatException(string message, string? path, string expected, string found)
        : base(message)
    {
        Path = path;
        Expected = expected;
        Found = found;
    }

    /// <summary>Where in the value the problem is, as a JSON path like <c>$[2].methargs.slots[0]</c>, when known.</summary>
    public string? Path { get; }

    /// <summary>What the shape requires at that place, when known.</summary>
    public string? Expected { get; }

    /// <summary>A short description of what was there instead, when known.</summary>
    public string? Found { get; }
}
