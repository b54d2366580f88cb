using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vats.Protocol;

/// <summary>
/// The worker's first message in socket mode (tag <see cref="Tags.Hello"/>): what the client checks before it sends
/// anything. A worker of another protocol version, or running another QuickJS build, could not replay a vat
/// bit for bit, so the client refuses it.
/// </summary>
/// <param name="Protocol">The socket protocol's version (<see cref="CurrentProtocol"/>).</param>
/// <param name="Worker">The worker's version.</param>
/// <param name="QuickJsSha256">SHA-256 (lowercase hex) of the QuickJS wasm the worker runs.</param>
/// <param name="SnapshotFormat">Version of the worker's snapshot format.</param>
public sealed record Hello(
    [property: JsonPropertyName("protocol")] int Protocol,
    [property: JsonPropertyName("worker")] string Worker,
    [property: JsonPropertyName("quickjsSha256")] string QuickJsSha256,
    [property: JsonPropertyName("snapshotFormat")] int SnapshotFormat)
{
    /// <summary>The socket protocol version this library speaks.</summary>
    public const int CurrentProtocol = 1;

    /// <summary>The JSON payload (after the tag).</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, HelloJsonContext.Default.Hello);

    /// <summary>Parses the JSON payload; throws <see cref="ProtocolException"/> if it is not a hello.</summary>
    public static Hello Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var hello = JsonSerializer.Deserialize(json, HelloJsonContext.Default.Hello)
                ?? throw new ProtocolException("the worker's hello is null");
            if (hello.Worker is null || hello.QuickJsSha256 is null || hello.Protocol <= 0)
                throw new ProtocolException("the worker's hello lacks protocol, worker or quickjsSha256");
            return hello;
        }
        catch (JsonException e)
        {
            throw new ProtocolException($"the worker's hello is not valid JSON: {e.Message}");
        }
    }
}

[JsonSerializable(typeof(Hello))]
internal sealed partial class HelloJsonContext : JsonSerializerContext;
