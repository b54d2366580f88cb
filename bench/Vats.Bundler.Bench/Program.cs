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
    private static int Main(string[] args)
    {
        int runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        string root = FindRoot();
        string harness = Path.Combine(root, "bundler", "harness");
        string entry = Path.Combine(harness, "entries", "liveslots.js");
        if (!Directory.Exists(Path.Combine(harness, "node_modules")))
        {
            Console.Error.WriteLine("bundler/harness/node_modules is missing: run `npm ci` in bundler/harness");
            return 2;
        }
        Console.WriteLine($"entry: bundler/harness/entries/liveslots.js, {runs} timed runs each, medians in ms");
        Console.WriteLine($"{"format",-16} {"vats first",10} {"vats",10} {"bundle-source",14} {"ratio",8}");
        foreach (var (format, name) in new[] { (BundleFormat.EndoZipBase64, "endoZipBase64"), (BundleFormat.NestedEvaluate, "nestedEvaluate") })
        {
            var options = new BundleOptions { Format = format };
            var sw = Stopwatch.StartNew();
            var first = Bundle.Create(entry, options);
            double cold = sw.Elapsed.TotalMilliseconds;
            var ours = new List<double>();
            for (int i = 0; i < runs; i++)
            {
                sw.Restart();
                var again = Bundle.Create(entry, options);
                ours.Add(sw.Elapsed.TotalMilliseconds);
                if (again.Sha256Hex != first.Sha256Hex) throw new InvalidOperationException("bundle bytes changed between runs");
            }
            var theirs = BundleSourceTimes(harness, entry, name, runs);
            double oursMedian = Median(ours), theirsMedian = Median(theirs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-16} {cold,10:F1} {oursMedian,10:F1} {theirsMedian,14:F1} {theirsMedian / oursMedian,7:F1}x"));
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
