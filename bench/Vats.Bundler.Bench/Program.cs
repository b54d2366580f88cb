using System.Diagnostics;
using System.Globalization;
using Vats.Bundler;

namespace Vats.Bundler.Bench;

/// <summary>
/// Times Vats.Bundler against @endo/bundle-source on the same liveslots entry, in the same run.
/// Usage: dotnet run -c Release --project bench/Vats.Bundler.Bench [-- RUNS]
/// Needs `npm ci` in bundler/harness.
/// </summary>
internal static class Program
{
    // Per format. The parser and the QuickJS check are large methods that the JIT tiers up in the background: about
    // ten bundles of this graph go by before a run costs what it will keep costing.
    private const int WarmUpRuns = 5;

    private const string Usage = """
        usage: dotnet run -c Release --project bench/Vats.Bundler.Bench [-- RUNS]

        Bundles bundler/harness/entries/liveslots.js (@agoric/swingset-liveslots and its dependencies) in both
        formats with Vats.Bundler and with @endo/bundle-source, in the same run, and prints for each format our
        first run, our median, bundle-source's median and their ratio (how many times faster we are).
          RUNS   timed runs per format and bundler (default 5), after warm-up runs
        Needs Node.js and `npm ci` in bundler/harness.
        """;

    private static int Main(string[] args)
    {
        if (args is ["--help" or "-h"])
        {
            Console.WriteLine(Usage);
            return 0;
        }
        int runs = 5;
        if (args.Length > 1 || (args.Length == 1 && (!int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out runs) || runs < 1)))
        {
            Console.Error.WriteLine(Usage);
            return 1;
        }
        string root = FindRoot();
        string harness = Path.Combine(root, "bundler", "harness");
        string entry = Path.Combine(harness, "entries", "liveslots.js");
        if (!Directory.Exists(Path.Combine(harness, "node_modules")))
        {
            Console.Error.WriteLine("bundler/harness/node_modules is missing: run `npm ci` in bundler/harness");
            return 2;
        }
        Console.WriteLine($"entry: bundler/harness/entries/liveslots.js, {runs} timed runs each after {WarmUpRuns} warm-up runs, medians in ms");
        Console.WriteLine($"{"format",-16} {"vats first",10} {"vats",10} {"bundle-source",14} {"ratio",8}");
        var formats = new[] { (BundleFormat.EndoZipBase64, "endoZipBase64"), (BundleFormat.NestedEvaluate, "nestedEvaluate") };
        // The first run of each format is reported apart (the very first is what a fresh `vats bundle` process
        // costs); then both formats are warmed up before any timed run, so that the medians measure compiled code
        // rather than the JIT tiering up the parser, whichever format happens to be timed first.
        var first = new Dictionary<BundleFormat, (Bundle Bundle, double Ms)>();
        var sw = new Stopwatch();
        foreach (var (format, _) in formats)
        {
            sw.Restart();
            var bundle = Bundle.Create(entry, new BundleOptions { Format = format });
            first[format] = (bundle, sw.Elapsed.TotalMilliseconds);
        }
        for (int i = 0; i < WarmUpRuns; i++)
            foreach (var (format, _) in formats) Bundle.Create(entry, new BundleOptions { Format = format });
        foreach (var (format, name) in formats)
        {
            var options = new BundleOptions { Format = format };
            var ours = new List<double>();
            for (int i = 0; i < runs; i++)
            {
                sw.Restart();
                var again = Bundle.Create(entry, options);
                ours.Add(sw.Elapsed.TotalMilliseconds);
                if (again.Sha256Hex != first[format].Bundle.Sha256Hex) throw new InvalidOperationException("bundle bytes changed between runs");
            }
            var theirs = BundleSourceTimes(harness, entry, name, runs);
            double oursMedian = Median(ours), theirsMedian = Median(theirs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-16} {first[format].Ms,10:F1} {oursMedian,10:F1} {theirsMedian,14:F1} {theirsMedian / oursMedian,7:F1}x"));
        }
        return 0;
    }

    private static List<double> BundleSourceTimes(string harness, string entry, string format, int runs)
    {
        var psi = new ProcessStartInfo("node") { WorkingDirectory = harness, RedirectStandardOutput = true };
        psi.ArgumentList.Add("bench-bundle-source.mjs");
        psi.ArgumentList.Add(entry);
        psi.ArgumentList.Add(format);
        psi.ArgumentList.Add(runs.ToString(CultureInfo.InvariantCulture));
        using var p = Process.Start(psi)!;
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"bundle-source exited with {p.ExitCode}");
        return lines.Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToList();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "bundler", "Vats.Bundler"))) return dir.FullName;
        throw new InvalidOperationException("run from inside the repository");
    }
}
