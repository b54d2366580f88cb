namespace Vats.Wasm.Bench;

/// <summary>Command-line options.</summary>
internal sealed record BenchOptions
{
    public int Iterations { get; init; } = 300_000;
    public int Repetitions { get; init; } = 5;
    public int Warmup { get; init; } = 2;
    public int StartupRepetitions { get; init; } = 5;
    public bool RunV8 { get; init; } = true;

    public const string Usage = """
        usage: dotnet run -c Release --project bench/Vats.Wasm.Bench [-- options]
          --iterations N    JS loop count (default 300000)
          --repetitions N   timed evaluations per engine (default 5)
          --warmup N        untimed evaluations first, so both JITs settle (default 2)
          --startup N       repetitions of the startup measurements (default 5)
          --no-v8           skip the Node/V8 side
        """;

    /// <summary>Parses the arguments; null with a message for bad input, null without one for --help.</summary>
    public static BenchOptions? Parse(string[] args, out string? error)
    {
        error = null;
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--help" or "-h":
                    return null;
                case "--no-v8":
                    options = options with { RunV8 = false };
                    break;
                case "--iterations" or "--repetitions" or "--warmup" or "--startup":
                    if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out var value) || value < (args[i] == "--warmup" ? 0 : 1))
                    {
                        error = $"{args[i]} needs a {(args[i] == "--warmup" ? "non-negative" : "positive")} integer";
                        return null;
                    }
                    options = args[i] switch
                    {
                        "--iterations" => options with { Iterations = value },
                        "--repetitions" => options with { Repetitions = value },
                        "--warmup" => options with { Warmup = value },
                        _ => options with { StartupRepetitions = value },
                    };
                    i++;
                    break;
                default:
                    error = $"unknown option {args[i]}";
                    return null;
            }
        }
        return options;
    }

    /// <summary>The JS workload: a block so that repeated evaluations do not redeclare globals.</summary>
    public string LoopSource => $"{{ let s = 0; for (let i = 0; i < {Iterations}; i++) s += i; s }}";

    /// <summary>What the loop evaluates to: 0 + 1 + … + (n − 1).</summary>
    public double ExpectedValue => (double)Iterations * (Iterations - 1) / 2;
}
