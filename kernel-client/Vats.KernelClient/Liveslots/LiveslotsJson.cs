using System.Text;
using System.Text.Json;

namespace Vats.KernelClient;

/// <summary>
/// Reads and writes the liveslots shapes as the JSON that crosses the worker pipe and goes into transcripts.
/// </summary>
/// <remarks>
/// <para>
/// Writing gives exactly the UTF-8 bytes JavaScript's <c>JSON.stringify</c> gives for the same objects — no
/// spaces, property order <c>body,slots</c> and <c>methargs,result</c>, strings escaped only where
/// JSON.stringify escapes them — because transcripts compare syscalls byte for byte.
/// </para>
/// <para>
/// Reading follows <c>JSON.parse</c> (lone surrogates allowed in strings, a repeated key takes its last value)
/// and then checks the shape as liveslots' <c>insistVatDeliveryObject</c>/<c>insistVatSyscallObject</c> do,
/// but also requires the exact number of elements. Any mismatch throws <see cref="LiveslotsFormatException"/>.
/// Unknown properties of capdata and message objects are ignored, as JavaScript ignores them.
/// </para>
/// </remarks>
public static partial class LiveslotsJson
{
    /// <summary>
    /// System.Text.Json options with converters for every shape (<see cref="CapData"/>, <see cref="VatMessage"/>,
    /// <see cref="VatResolution"/>, deliveries, syscalls, results, <see cref="MeterUsage"/>), for embedding them
    /// in larger documents such as transcript entries. The shapes are written byte for byte as
    /// <see cref="Serialize(VatSyscallObject)"/> writes them, whatever the writer's encoder.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Writes a delivery, e.g. <c>["message","o+0",{"methargs":…,"result":"p-61"}]</c>.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <returns>The UTF-8 bytes.</returns>
    public static byte[] Serialize(VatDeliveryObject delivery) => Encoding.UTF8.GetBytes(ToJson(delivery));

    /// <summary>Writes a syscall, e.g. <c>["vatstoreGet","idCounters"]</c>.</summary>
    /// <param name="syscall">The syscall.</param>
    /// <returns>The UTF-8 bytes.</returns>
    public static byte[] Serialize(VatSyscallObject syscall) => Encoding.UTF8.GetBytes(ToJson(syscall));

    /// <summary>Writes a syscall result, e.g. <c>["ok",null]</c>.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The UTF-8 bytes.</returns>
    public static byte[] Serialize(VatSyscallResult result) => Encoding.UTF8.GetBytes(ToJson(result));

    /// <summary>Writes a worker's delivery reply, e.g. <c>["ok",null,null]</c>.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The UTF-8 bytes.</returns>
    public static byte[] Serialize(VatDeliveryResult result) => Encoding.UTF8.GetBytes(ToJson(result));

    /// <summary>Writes a meter record in xsnap's key order.</summary>
    /// <param name="usage">The meter record.</param>
    /// <returns>The UTF-8 bytes.</returns>
    public static byte[] Serialize(MeterUsage usage) => Encoding.UTF8.GetBytes(ToJson(usage));

    /// <summary>Writes capdata, <c>{"body":…,"slots":[…]}</c>.</summary>
    /// <param name="data">The capdata.</param>
    /// <returns>The UTF-8 bytes.</returns>
    public static byte[] Serialize(CapData data) => Encoding.UTF8.GetBytes(ToJson(data));

    /// <summary>The JSON text of a delivery (what <see cref="Serialize(VatDeliveryObject)"/> encodes as UTF-8).</summary>
    /// <param name="delivery">The delivery.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(VatDeliveryObject delivery) => Build(sb => WriteDelivery(sb, delivery ?? throw new ArgumentNullException(nameof(delivery))));

    /// <summary>The JSON text of a syscall.</summary>
    /// <param name="syscall">The syscall.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(VatSyscallObject syscall) => Build(sb => WriteSyscall(sb, syscall ?? throw new ArgumentNullException(nameof(syscall))));

    /// <summary>The JSON text of a syscall result.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(VatSyscallResult result) => Build(sb => WriteSyscallResult(sb, result ?? throw new ArgumentNullException(nameof(result))));

    /// <summary>The JSON text of a worker's delivery reply.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(VatDeliveryResult result) => Build(sb => WriteDeliveryResult(sb, result ?? throw new ArgumentNullException(nameof(result))));

    /// <summary>The JSON text of a meter record.</summary>
    /// <param name="usage">The meter record.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(MeterUsage usage) => Build(sb => WriteMeterUsage(sb, usage ?? throw new ArgumentNullException(nameof(usage))));

    /// <summary>The JSON text of capdata.</summary>
    /// <param name="data">The capdata.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(CapData data) => Build(sb => WriteCapData(sb, data ?? throw new ArgumentNullException(nameof(data))));

    /// <summary>The JSON text of a message as a delivery carries it (<c>"result":null</c> when there is none).</summary>
    /// <param name="message">The message.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(VatMessage message) => Build(sb => WriteMessage(sb, message ?? throw new ArgumentNullException(nameof(message)), writeNullResult: true));

    /// <summary>The JSON text of a resolution, <c>[vpid,isReject,capdata]</c>.</summary>
    /// <param name="resolution">The resolution.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(VatResolution resolution) => Build(sb => WriteResolution(sb, resolution ?? throw new ArgumentNullException(nameof(resolution))));

    /// <summary>Reads a delivery (the <c>vdo</c> of <c>["deliver", vdo]</c>).</summary>
    /// <param name="utf8">The UTF-8 JSON.</param>
    /// <returns>The delivery.</returns>
    /// <exception cref="LiveslotsFormatException">The bytes are not a delivery.</exception>
    public static VatDeliveryObject ParseDelivery(ReadOnlySpan<byte> utf8) => ReadDelivery(JsJsonParser.Parse(utf8, "delivery"));

    /// <summary>Reads a syscall (the <c>vso</c> of <c>["syscall", vso]</c>); an undefined tag gives <see cref="UnknownSyscall"/>.</summary>
    /// <param name="utf8">The UTF-8 JSON.</param>
    /// <returns>The syscall.</returns>
    /// <exception cref="LiveslotsFormatException">The bytes are not a syscall array, or a known syscall is malformed.</exception>
    public static VatSyscallObject ParseSyscall(ReadOnlySpan<byte> utf8) => ReadSyscall(JsJsonParser.Parse(utf8, "syscall"));

    /// <summary>Reads the kernel's answer to a syscall.</summary>
    /// <param name="utf8">The UTF-8 JSON.</param>
    /// <returns>The result.</returns>
    /// <exception cref="LiveslotsFormatException">The bytes are not a syscall result.</exception>
    public static VatSyscallResult ParseSyscallResult(ReadOnlySpan<byte> utf8) => ReadSyscallResult(JsJsonParser.Parse(utf8, "syscall result"));

    /// <summary>Reads the worker's reply to a delivery, <c>["ok", value, null]</c> or <c>["error", problem, null]</c>.</summary>
    /// <param name="utf8">The UTF-8 JSON.</param>
    /// <returns>The result.</returns>
    /// <exception cref="LiveslotsFormatException">The bytes are not a delivery result.</exception>
    public static VatDeliveryResult ParseDeliveryResult(ReadOnlySpan<byte> utf8) => ReadDeliveryResult(JsJsonParser.Parse(utf8, "delivery result"));

    /// <summary>
    /// Reads a meter record (the JSON between <c>.</c> and <c>0x01</c> of a worker's reply). The four fields are
    /// required; other properties (such as the kernel's <c>meterType</c>) are ignored.
    /// </summary>
    /// <param name="utf8">The UTF-8 JSON.</param>
    /// <returns>The meter record.</returns>
    /// <exception cref="LiveslotsFormatException">The bytes are not a meter record.</exception>
    public static MeterUsage ParseMeterUsage(ReadOnlySpan<byte> utf8) => ReadMeterUsage(JsJsonParser.Parse(utf8, "meter usage"));

    /// <summary>Reads capdata, <c>{"body":…,"slots":[…]}</c>.</summary>
    /// <param name="utf8">The UTF-8 JSON.</param>
    /// <returns>The capdata.</returns>
    /// <exception cref="LiveslotsFormatException">The bytes are not capdata.</exception>
    public static CapData ParseCapData(ReadOnlySpan<byte> utf8) => new Shape("capdata").CapData(JsJsonParser.Parse(utf8, "capdata"), "$");

    private static string Build(Action<StringBuilder> write)
    {
        var sb = new StringBuilder();
        write(sb);
        return sb.ToString();
    }
}
