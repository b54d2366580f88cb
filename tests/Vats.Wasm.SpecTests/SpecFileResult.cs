namespace Vats.Wasm.SpecTests;

/// <summary>How one command went.</summary>
internal enum CommandOutcome
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>A failed command: where, which kind of failure (for grouping), and the details.</summary>
internal sealed record SpecFailure(string File, int Line, string Command, string Category, string Reason)
{
    public override string ToString() => $"{File}:{Line}: {Command}: {Reason}";
}

/// <summary>
/// What came of which rejection the script asked for (assert_invalid, binary assert_malformed): rejected as
/// asked, rejected with the other error type, or not rejected at all.
/// </summary>
internal enum Rejection
{
    AsExpected,
    AsOtherKind,
    NotRejected,
}

/// <summary>
/// The tally of one script. Written by the thread running the script and read by the suite, possibly while
/// that thread is still stuck in a call (timeout), hence the lock and <see cref="Snapshot"/>.
/// </summary>
internal sealed class SpecFileResult
{
    private readonly Lock _lock = new();
    private readonly List<SpecFailure> _failures = [];
    private readonly List<SpecFailure> _otherRejections = [];

    public SpecFileResult(string fileName) => FileName = fileName;

    public string FileName { get; }

    public int Passed { get; private set; }

    public int Failed { get; private set; }

    public int Skipped { get; private set; }

    /// <summary>Why the whole script was skipped (wast2json could not convert it), or null.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>Commands skipped because they hold text-format modules, which wast2json does not convert.</summary>
    public int TextModulesSkipped { get; private set; }

    public int InvalidRejected { get; private set; }

    public int InvalidRejectedAsMalformed { get; private set; }

    public int InvalidAccepted { get; private set; }

    public int MalformedRejected { get; private set; }

    public int MalformedRejectedAsInvalid { get; private set; }

    public int MalformedAccepted { get; private set; }

    /// <summary>Line of the command being run (for reporting a timeout).</summary>
    public int CurrentLine { get; private set; }

    public TimeSpan Elapsed { get; set; }

    public IReadOnlyList<SpecFailure> Failures => _failures;

    /// <summary>Modules rejected, but not with the error type the script asked for (listed for the decoder and validator).</summary>
    public IReadOnlyList<SpecFailure> OtherRejections => _otherRejections;

    public void Begin(int line)
    {
        lock (_lock) CurrentLine = line;
    }

    public void Record(SpecCommand command, CommandOutcome outcome, string? category = null, string? reason = null)
    {
        lock (_lock)
        {
            switch (outcome)
            {
                case CommandOutcome.Passed:
                    Passed++;
                    break;
                case CommandOutcome.Skipped:
                    Skipped++;
                    if (command.ModuleType == "text") TextModulesSkipped++;
                    break;
                default:
                    Failed++;
                    _failures.Add(new SpecFailure(FileName, command.Line, command.Type, category ?? command.Type, reason ?? "failed"));
                    break;
            }
        }
    }

    public void RecordInvalid(SpecCommand command, Rejection rejection, string? error = null)
    {
        lock (_lock)
        {
            switch (rejection)
            {
                case Rejection.AsExpected: InvalidRejected++; break;
                case Rejection.AsOtherKind:
                    InvalidRejectedAsMalformed++;
                    _otherRejections.Add(new SpecFailure(FileName, command.Line, command.Type, "rejected as malformed",
                        $"expected invalid \"{command.Text}\", got {error}"));
                    break;
                default: InvalidAccepted++; break;
            }
        }
    }

    public void RecordMalformed(SpecCommand command, Rejection rejection, string? error = null)
    {
        lock (_lock)
        {
            switch (rejection)
            {
                case Rejection.AsExpected: MalformedRejected++; break;
                case Rejection.AsOtherKind:
                    MalformedRejectedAsInvalid++;
                    _otherRejections.Add(new SpecFailure(FileName, command.Line, command.Type, "rejected as invalid",
                        $"expected malformed \"{command.Text}\", got {error}"));
                    break;
                default: MalformedAccepted++; break;
            }
        }
    }

    /// <summary>The script could not be converted: it counts as one skipped item, whatever its size.</summary>
    public void SkipWholeFile(string reason)
    {
        lock (_lock)
        {
            SkipReason = reason;
            Skipped++;
        }
    }

    /// <summary>The script ran out of time: the stuck command and the ones not run count as failed.</summary>
    public void RecordTimeout(int notRun, TimeSpan limit)
    {
        lock (_lock)
        {
            Failed += 1 + notRun;
            _failures.Add(new SpecFailure(FileName, CurrentLine, "timeout", "timeout",
                $"still running after {limit.TotalSeconds:0} s; this and the {notRun} remaining commands count as failed"));
        }
    }

    /// <summary>A consistent copy, safe to read while the original is still being written.</summary>
    public SpecFileResult Snapshot()
    {
        lock (_lock)
        {
            var copy = new SpecFileResult(FileName)
            {
                Passed = Passed,
                Failed = Failed,
                Skipped = Skipped,
                SkipReason = SkipReason,
                TextModulesSkipped = TextModulesSkipped,
                InvalidRejected = InvalidRejected,
                InvalidRejectedAsMalformed = InvalidRejectedAsMalformed,
                InvalidAccepted = InvalidAccepted,
                MalformedRejected = MalformedRejected,
                MalformedRejectedAsInvalid = MalformedRejectedAsInvalid,
                MalformedAccepted = MalformedAccepted,
                CurrentLine = CurrentLine,
                Elapsed = Elapsed,
            };
            copy._failures.AddRange(_failures);
            copy._otherRejections.AddRange(_otherRejections);
            return copy;
        }
    }

    /// <summary>The per-file line: "i32.wast: 374 passed, 0 failed, 0 skipped".</summary>
    public string SummaryLine()
    {
        var line = $"{FileName}: {Passed} passed, {Failed} failed, {Skipped} skipped";
        if (SkipReason is not null) line += $" (not converted by wast2json: {SkipReason})";
        else if (TextModulesSkipped > 0) line += $" ({TextModulesSkipped} text-format assert_malformed not checked)";
        return line;
    }
}
