using System.Text;

namespace Vats.Wasm.SpecTests;

/// <summary>The text the suite prints: a line per script with its first failures, totals, and the summary line.</summary>
internal sealed class SpecReport
{
    public const int FailuresShownPerFile = 5;
    public const int CategoriesShown = 25;

    private readonly int _failuresShownPerFile;

    public SpecReport(IReadOnlyList<SpecFileResult> files, int failuresShownPerFile = FailuresShownPerFile)
    {
        Files = files;
        _failuresShownPerFile = failuresShownPerFile;
        Passed = files.Sum(f => f.Passed);
        Failed = files.Sum(f => f.Failed);
        Skipped = files.Sum(f => f.Skipped);
    }

    public IReadOnlyList<SpecFileResult> Files { get; }

    public int Passed { get; }

    public int Failed { get; }

    public int Skipped { get; }

    /// <summary>passed / (passed + failed); 0 when nothing ran.</summary>
    public double PassRate => Passed + Failed == 0 ? 0 : (double)Passed / (Passed + Failed);

    public int InvalidNotRejected => Files.Sum(f => f.InvalidAccepted);

    public int MalformedNotRejected => Files.Sum(f => f.MalformedAccepted);

    /// <summary>The one line a CI log is searched for.</summary>
    public string SummaryLine => $"wasm-spec: {Passed} passed, {Failed} failed, {Skipped} skipped";

    /// <summary>Everything but the summary line.</summary>
    public string Details()
    {
        var text = new StringBuilder();
        foreach (var file in Files)
        {
            text.AppendLine(file.SummaryLine());
            foreach (var failure in file.Failures.Take(_failuresShownPerFile))
                text.AppendLine($"    line {failure.Line}: {failure.Category}: {failure.Reason}");
            if (file.Failures.Count > _failuresShownPerFile)
                text.AppendLine($"    … {file.Failures.Count - _failuresShownPerFile} more failures");
        }

        text.AppendLine(
            $"assert_invalid: {Files.Sum(f => f.InvalidRejected)} rejected as invalid, {Files.Sum(f => f.InvalidRejectedAsMalformed)} as malformed, " +
            $"{InvalidNotRejected} not rejected; binary assert_malformed: {Files.Sum(f => f.MalformedRejected)} rejected as malformed, " +
            $"{Files.Sum(f => f.MalformedRejectedAsInvalid)} as invalid, {MalformedNotRejected} not rejected");
        foreach (var other in Files.SelectMany(f => f.OtherRejections).Take(10))
            text.AppendLine($"    {other.File}:{other.Line}: {other.Command} {other.Category}: {other.Reason}");
        var skippedFiles = Files.Where(f => f.SkipReason is not null).Select(f => f.FileName).ToArray();
        text.AppendLine(
            $"skipped: {Files.Sum(f => f.TextModulesSkipped)} text-format module commands (wast2json does not convert them), " +
            $"{skippedFiles.Length} scripts wast2json could not convert{(skippedFiles.Length > 0 ? $" ({string.Join(", ", skippedFiles)}; one each)" : "")}");

        var categories = Files.SelectMany(f => f.Failures)
            .GroupBy(f => f.Category)
            .Select(g => (Category: g.Key, Count: g.Count(), Files: g.Select(f => f.File).Distinct().ToArray()))
            .OrderByDescending(g => g.Count)
            .ToArray();
        if (categories.Length > 0)
        {
            text.AppendLine("failures by kind:");
            foreach (var (category, count, files) in categories.Take(CategoriesShown))
                text.AppendLine($"  {count,6}  {category}  [{string.Join(", ", files.Take(8))}{(files.Length > 8 ? $", +{files.Length - 8} more" : "")}]");
            if (categories.Length > CategoriesShown) text.AppendLine($"  … {categories.Length - CategoriesShown} more kinds");
        }
        var slowest = Files.OrderByDescending(f => f.Elapsed).Take(3).Select(f => $"{f.FileName} {f.Elapsed.TotalSeconds:0.0} s");
        text.AppendLine($"slowest: {string.Join(", ", slowest)}");
        return text.ToString();
    }
}
