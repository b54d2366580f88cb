using System.Globalization;

namespace Vats.Worker.Bench;

/// <summary>The command line of the benchmark.</summary>
internal sealed record BenchOptions
{
    internal const string Usage = """
        usage: Vats.Worker.Bench [--reps N] [--deliveries N] [--rtt N] [--anchor DIR | --no-xsnap]

          --reps N          repetitions of each start-up measurement (default 5)
          --deliveries N    counter-vat deliveries per worker (default 1000)
          --rtt N           '?' round trips per worker (default 10000)
          --anchor DIR      a set-up xsnap anchor (node_modules with @agoric/xsnap and a built xsnap-worker);
                            default: $VATS_XSNAP_ANCHOR, else bench/Vats.Worker.Bench/.xsnap-anchor, which is
                            copied from the xsnap anchor tool beside the checkout and set up on first use
                            (npm packages and a C build of xsnap-worker: a few minutes, once)
          --no-xsnap        measure vats-worker only
          -h, --help        this text

        Prints medians, and the ratio vats-worker / xsnap-worker where both were measured in this run.
        """;

    public int Reps { get; init; } = 5;

    public int Deliveries { get; init; } = 1000;

    public int RoundTrips { get; init; } = 10_000;

    public string? Anchor { get; init; }

    public bool Xsnap { get; init; } = true;

    public static BenchOptions? Parse(string[] args, out string? error)
    {
        error = null;
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            int Count() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new FormatException($"{args[i - 1]} needs a positive whole number");
            try
            {
                options = args[i] switch
                {
                    "--reps" => options with { Reps = Count() },
                    "--deliveries" => options with { Deliveries = Count() },
                    "--rtt" => options with { RoundTrips = Count() },
                    "--anchor" => options with { Anchor = Path.GetFullPath(Value()) },
                    "--no-xsnap" => options with { Xsnap = false },
                    "-h" or "--help" => null,
                    _ => throw new FormatException($"unknown option {args[i]}"),
                };
            }
            catch (FormatException e)
            {
                error = e.Message;
                return null;
            }
            if (options is null) return null;
        }
        return options;
    }
}
