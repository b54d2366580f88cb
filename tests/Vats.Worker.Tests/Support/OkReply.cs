using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vats.Protocol;

namespace Vats.Worker.Tests.Support;

/// <summary>
/// A success reply with meter data, <c>.</c> + meter JSON + <c>0x01</c> + reply bytes, taken apart. The meter JSON
/// is kept as text too, since its exact bytes (key order, no spaces) are part of the contract.
/// </summary>
internal sealed partial record OkReply(string MeterJson, byte[] Bytes)
{
    /// <summary>Parses <paramref name="message"/>; fails the test if it is not a <c>.</c> reply with meter data.</summary>
    public static OkReply Parse(byte[] message)
    {
        Assert.That(message, Is.Not.Empty);
        Assert.That((char)message[0], Is.EqualTo((char)Tags.Ok), $"expected a '.' reply, got {SocketWorker.Show(message)}");
        var separator = Array.IndexOf(message, Tags.MeterSeparator, 1);
        Assert.That(separator, Is.GreaterThan(0), $"no 0x01 after the meter JSON in {SocketWorker.Show(message)}");
        return new OkReply(Encoding.UTF8.GetString(message, 1, separator - 1), message[(separator + 1)..]);
    }

    /// <summary>The reply bytes as UTF-8.</summary>
    public string Text => Encoding.UTF8.GetString(Bytes);

    public long CurrentHeapCount => Number("currentHeapCount");

    public long Compute => Number("compute");

    public long Allocate => Number("allocate");

    /// <summary>The timestamps (wall clock, so only their count is deterministic).</summary>
    public IReadOnlyList<double> Timestamps
    {
        get
        {
            using var json = JsonDocument.Parse(MeterJson);
            return [.. json.RootElement.GetProperty("timestamps").EnumerateArray().Select(t => t.GetDouble())];
        }
    }

    /// <summary>The meter JSON's keys, in order.</summary>
    public IReadOnlyList<string> MeterKeys
    {
        get
        {
            using var json = JsonDocument.Parse(MeterJson);
            return [.. json.RootElement.EnumerateObject().Select(p => p.Name)];
        }
    }

    /// <summary>Everything but the timestamps: what two runs of the same commands must agree on, byte for byte.</summary>
    public string Deterministic => $"{TimestampsPattern().Replace(MeterJson, "\"timestamps\":[…]")}\u0001{Convert.ToHexString(Bytes)}";

    private long Number(string key)
    {
        using var json = JsonDocument.Parse(MeterJson);
        return json.RootElement.GetProperty(key).GetInt64();
    }

    [GeneratedRegex("\"timestamps\":\\[[^\\]]*\\]")]
    private static partial Regex TimestampsPattern();
}
