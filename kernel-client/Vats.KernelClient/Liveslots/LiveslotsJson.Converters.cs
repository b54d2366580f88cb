using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vats.KernelClient;

public static partial class LiveslotsJson
{
    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions { Converters = { new ShapeConverterFactory() } };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>
    /// Converters that write each shape as raw JSON produced by this class (so System.Text.Json's encoder never
    /// re-escapes it) and read each one through the same parser, so lone surrogates and shapes are handled alike.
    /// </summary>
    private sealed class ShapeConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) =>
            typeToConvert == typeof(CapData) || typeToConvert == typeof(VatMessage) || typeToConvert == typeof(VatResolution) ||
            typeToConvert == typeof(VatSyscallResult) || typeToConvert == typeof(VatDeliveryResult) || typeToConvert == typeof(MeterUsage) ||
            typeof(VatDeliveryObject).IsAssignableFrom(typeToConvert) || typeof(VatSyscallObject).IsAssignableFrom(typeToConvert);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(ShapeConverter<>).MakeGenericType(typeToConvert))!;
    }

    private sealed class ShapeConverter<T> : JsonConverter<T>
        where T : class
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var tree = JsJsonParser.Parse(document.RootElement.GetRawText(), typeof(T).Name);
            object value = typeof(T) switch
            {
                var t when t == typeof(CapData) => new Shape("capdata").CapData(tree, "$"),
                var t when t == typeof(VatMessage) => new Shape("message").Message(tree, "$"),
                var t when t == typeof(VatResolution) => new Shape("resolution").Resolution(tree, "$"),
                var t when t == typeof(VatSyscallResult) => ReadSyscallResult(tree),
                var t when t == typeof(VatDeliveryResult) => ReadDeliveryResult(tree),
                var t when t == typeof(MeterUsage) => ReadMeterUsage(tree),
                var t when typeof(VatDeliveryObject).IsAssignableFrom(t) => ReadDelivery(tree),
                _ => ReadSyscall(tree),
            };
            return value as T ?? throw new LiveslotsFormatException($"expected a {typeof(T).Name}, found {value}");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            var json = value switch
            {
                CapData c => ToJson(c),
                VatMessage m => ToJson(m),
                VatResolution r => ToJson(r),
                VatSyscallResult r => ToJson(r),
                VatDeliveryResult r => ToJson(r),
                MeterUsage u => ToJson(u),
                VatDeliveryObject d => ToJson(d),
                VatSyscallObject s => ToJson(s),
                _ => throw new ArgumentException($"not a liveslots shape: {value.GetType()}", nameof(value)),
            };
            // Lone surrogates are escaped as \udxxx, which the writer's validation would refuse; the text is ours.
            writer.WriteRawValue(Encoding.UTF8.GetBytes(json), skipInputValidation: true);
        }
    }
}
