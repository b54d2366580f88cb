using System.Globalization;

namespace Vats.Worker.Bench;

/// <summary>The command line of the benchmark.</summary>
internal sealed record BenchOptions
{
    internal const string Usage = """
        usage: Vats.Worker.Bench [--reps N] [--deliveries N] [--rtt N] [--only PARTS] [--anchor DIR | --no-xsnap]

          --reps N          repetitions of each start-up measurement (default 5)
          --deliveries N    counter-vat deliveries per worker (default 1000)
          --rtt N           '?' round trips per worker (default 10000)
          --anchor DIR      a set-up xsnap anchor (node_modules with @agoric/xsnap and a built xsnap-worker);
                            default: $VATS_XSNAP_ANCHOR, else bench/Vats.Worker.Bench/.xsnap-anchor, which is
                            copied from the xsnap anchor tool beside the checkout and set up on first use
                            (npm packages and a C build of xsnap-worker: a few minutes, once)
          --only PARTS      some of raw,counter,client,checkpoints (comma-separated; default all):
                            raw: both workers through @agoric/xsnap (start-up, snapshot, loop, '?');
                            counter: counter-vat deliveries through @agoric/xsnap;
                            client: vats-worker through the C# client;
                            checkpoints: the counter vat in a snapshot store, a checkpoint after every
                            delivery, beside xsnap's snapshots as SwingSet saves and restores them
          --no-xsnap        measure vats-worker only
          -h, --help        this text

        Prints medians, and the ratio vats-worker / xsnap-worker where both were measured in this run.
        """;

    public int Reps { get; init; } = 5;

    public int Deliveries { get; init; } = 1000;

    public int RoundTrips { get; init; } = 10_000;

    public string? Anchor { get; init; }

    public bool Xsnap { get; init; } = true;

    public IReadOnlySet<string> Parts { get; init; } = AllParts;

    private static readonly HashSet<string> AllParts = ["raw", "counter", "client", "checkpoints"];

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
                    "--only" => options with { Parts = ParseParts(Value()) },
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

    private static HashSet<string> ParseParts(string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        if (parts.Count == 0 || parts.FirstOrDefault(p => !AllParts.Contains(p)) is { } unknown && unknown.Length > 0)
            throw new FormatException($"--only takes some of {string.Join(",", AllParts)}, not {value}");
        return parts;
    }
}
