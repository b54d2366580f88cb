using System.Globalization;
using System.Text;

namespace Vats.KernelClient.Tests.Support;

/// <summary>
/// Builds the inputs of Reference/stringify-probe.mjs: JSON in which strings travel as UTF-16 code-unit arrays
/// and numbers as IEEE bit patterns, so nothing is lost or re-escaped on the way to Node.
/// </summary>
internal static class JsSpec
{
    public static string S(string s)
    {
        var sb = new StringBuilder("{\"$s\":[");
        for (var i = 0; i < s.Length; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(((int)s[i]).ToString(CultureInfo.InvariantCulture));
        }
        return sb.Append("]}").ToString();
    }

    public static string N(double d) =>
        "{\"$n\":\"" + BitConverter.DoubleToUInt64Bits(d).ToString("x16", CultureInfo.InvariantCulture) + "\"}";

    public static string Arr(params string[] items) => "[" + string.Join(",", items) + "]";

    /// <summary>An object; keys are plain ASCII names and keep this order.</summary>
    public static string Obj(params (string Key, string Value)[] properties) =>
        "{" + string.Join(",", properties.Select(p => $"\"{p.Key}\":{p.Value}")) + "}";

    public static string Bool(bool b) => b ? "true" : "false";

    /// <summary>Runs the probe on <c>{"value": spec}</c> / <c>{"reparse": spec}</c> cases; one output line per case.</summary>
    public static string[] Stringify(IReadOnlyList<string> cases)
    {
        var stdout = NodeProcess.Run(TestPaths.StringifyProbe, "[" + string.Join(",", cases) + "]");
        var lines = stdout.Split('\n');
        Assert.That(lines, Has.Length.EqualTo(cases.Count + 1), "one line per case, then the final newline");
        return lines[..^1];
    }
}
