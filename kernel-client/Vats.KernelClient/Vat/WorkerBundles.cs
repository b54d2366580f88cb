using System.Text.Json;
using Vats.Supervisor;

namespace Vats.KernelClient;

/// <summary>
/// The two bundles a worker boots with, as the exact strings xsnap's parent evaluates (<c>(${source}\n)()</c>,
/// trimmed): the lockdown bundle (SES) and the supervisor bundle (liveslots).
/// </summary>
/// <param name="LockdownSource">What the first <c>e</c> command evaluates.</param>
/// <param name="SupervisorSource">What the second <c>e</c> command evaluates.</param>
public sealed record WorkerBundles(string LockdownSource, string SupervisorSource)
{
    /// <summary>The pinned bundles built with this library (<see cref="LockdownBundle"/>, <see cref="SupervisorBundle"/>).</summary>
    public static WorkerBundles Default => field ??= new(LockdownBundle.Get().EvaluateSource, SupervisorBundle.Get().EvaluateSource);

    /// <summary>Bundles read from files (<c>{"moduleFormat":"nestedEvaluate"|"getExport","source":…}</c>), e.g. Agoric's published ones.</summary>
    public static WorkerBundles FromFiles(string lockdownBundlePath, string supervisorBundlePath) =>
        new(EvaluateSourceOfBundle(File.ReadAllText(lockdownBundlePath), lockdownBundlePath),
            EvaluateSourceOfBundle(File.ReadAllText(supervisorBundlePath), supervisorBundlePath));

    /// <summary>The string xsnap's parent evaluates for a bundle's <c>source</c>.</summary>
    public static string EvaluateSource(string bundleSource) => $"({bundleSource}\n)()".Trim();

    /// <summary>The evaluate string of a bundle given as JSON text; <paramref name="origin"/> names it in errors.</summary>
    public static string EvaluateSourceOfBundle(string bundleJson, string origin)
    {
        using var document = JsonDocument.Parse(bundleJson);
        var root = document.RootElement;
        var format = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("moduleFormat", out var f) ? f.GetString() : null;
        if (format is not ("nestedEvaluate" or "getExport") || !root.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{origin} is not a nestedEvaluate or getExport bundle (moduleFormat {format ?? "missing"})");
        return EvaluateSource(source.GetString()!);
    }
}
