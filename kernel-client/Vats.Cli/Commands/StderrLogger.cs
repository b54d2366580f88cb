using Microsoft.Extensions.Logging;

namespace Vats.Cli.Commands;

/// <summary>Log entries as lines on standard error, for <c>--verbose</c>.</summary>
internal sealed class StderrLogger(LogLevel minimum = LogLevel.Debug) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        Console.Error.WriteLine($"  [{logLevel.ToString().ToLowerInvariant()}] {formatter(state, exception)}");
    }
}
