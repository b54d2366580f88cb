using System.Text;

namespace Vats.KernelClient.Tests.Support;

/// <summary>UTF-8 conversions for the tests, which write their JSON as C# strings.</summary>
internal static class Bytes
{
    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);
}
