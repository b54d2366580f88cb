using System.Diagnostics;

namespace Vats.Wasm.SpecTests;

/// <summary>The WebAssembly core spec test suite (2.0 feature set) against our runtime.</summary>
/// <remarks>
/// The report goes to the error stream from <see cref="PrintReport"/>: that is what <c>dotnet test</c>'s default
/// console logger shows, and output written after the test (rather than in it) is not repeated under the failed
/// test's "Standard Output Messages", so the summary line appears exactly once either way.
/// Set VATS_WASM_SPEC_ONLY to a comma-separated list of script names (e.g. "i32,br_table.wast") to run only those,
/// with every failure listed.
/// </remarks>
[TestFixture]
public sealed class SpecSuiteTests
{
    /// <summary>Share of checked commands that must pass.</summary>
    private const double RequiredPassRate = 0.995;

    private string? _report;

    [Test]
    public void WholeSuite() => Run(SpecSuite.Shared, "interpreter");

    /// <summary>The same scripts with the compiling engine; the same bar.</summary>
    [Test]
    public void WholeSuiteCompiled() => Run(SpecSuite.Compiled, "compiler");

    private void Run(SpecSuite suite, string engine)
    {
        var stopwatch = Stopwatch.StartNew();
        var only = SpecSuite.SelectedScripts;
        var report = new SpecReport(suite.RunAll(only), only is null ? SpecReport.FailuresShownPerFile : int.MaxValue);
        _report += $"[{engine}]\n" + report.Details()
            + $"({report.Files.Count} scripts in {stopwatch.Elapsed.TotalSeconds:0} s, {SpecSuite.Parallelism} in parallel)\n"
            + report.SummaryLine + "\n";

        Assert.Multiple(() =>
        {
            Assert.That(report.PassRate, Is.GreaterThanOrEqualTo(RequiredPassRate),
                $"pass rate {report.PassRate:P2} ({report.Passed} of {report.Passed + report.Failed}) is below {RequiredPassRate:P1}");
            Assert.That(report.InvalidNotRejected, Is.Zero, "assert_invalid modules that were not rejected");
            Assert.That(report.MalformedNotRejected, Is.Zero, "binary assert_malformed modules that were not rejected");
        });
    }

    [OneTimeTearDown]
    public void PrintReport()
    {
        if (_report is not null) TestContext.Error.Write(_report);
    }
}
