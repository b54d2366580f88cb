using System.Text.RegularExpressions;

namespace Vats.QuickJs.Tests.Differential;

/// <summary>One differential probe: a script evaluated in both engines.</summary>
internal sealed record Probe(string Name, string Source);

/// <summary>
/// Reads probe files: "// @probe NAME" starts a probe, everything up to the next marker is its source. Each probe
/// runs in a block of its own so its let/const/class names do not collide (the reference host does the same).
/// </summary>
internal static partial class ProbeFile
{
    public static List<Probe> Read(string path)
    {
        var probes = new List<Probe>();
        string? name = null;
        var lines = new List<string>();
        foreach (var line in File.ReadAllText(path).Split('\n'))
        {
            var marker = Marker().Match(line);
            if (marker.Success)
            {
                if (name is not null) probes.Add(Make(name, lines));
                name = marker.Groups[1].Value;
                lines.Clear();
                continue;
            }
            if (name is not null) lines.Add(line);
        }
        if (name is not null) probes.Add(Make(name, lines));
        return probes;
    }

    private static Probe Make(string name, List<string> lines) => new(name, $"{{\n{string.Join('\n', lines).Trim()}\n}}");

    [GeneratedRegex(@"^// @probe (\S+)\s*$")]
    private static partial Regex Marker();
}
