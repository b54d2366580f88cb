namespace Vats.Bundler;

/// <summary>The bundle formats Vats can write.</summary>
public enum BundleFormat
{
    /// <summary>A JS expression evaluating to a function of a file prefix that returns the entry namespace.</summary>
    NestedEvaluate,

    /// <summary>A base64 zip of compartment-map.json plus precompiled module records, as SwingSet installs.</summary>
    EndoZipBase64,
}

/// <summary>What to bundle and how.</summary>
public sealed record BundleOptions
{
    /// <summary>Output format; nestedEvaluate by default.</summary>
    public BundleFormat Format { get; init; } = BundleFormat.NestedEvaluate;

    /// <summary>Extra package.json export conditions, besides <c>import</c>, <c>default</c> and <c>endo</c>.</summary>
    public IReadOnlyList<string> Conditions { get; init; } = [];

    /// <summary>Parses a format name as the CLI spells it.</summary>
    public static BundleFormat ParseFormat(string name) => name switch
    {
        "nestedEvaluate" => BundleFormat.NestedEvaluate,
        "endoZipBase64" => BundleFormat.EndoZipBase64,
        _ => throw new BundleException($"unknown bundle format '{name}' (expected nestedEvaluate or endoZipBase64)"),
    };
}
