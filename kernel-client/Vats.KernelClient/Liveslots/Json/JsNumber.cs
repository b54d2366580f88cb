using System.Globalization;
using System.Text;

namespace Vats.KernelClient;

/// <summary>A parsed JSON number: the IEEE double JavaScript would see, and the source text.</summary>
internal sealed record JsNumber(double Value, string Text)
{
    /// <summary>
    /// The text <c>JSON.stringify</c> gives for a number: JavaScript's Number::toString (shortest round-trip
    /// digits, exponent form outside 1e-7 ≤ |x| &lt; 1e21, "e+"/"e-"), "0" for −0, "null" for NaN and ±Infinity.
    /// </summary>
    public static string Format(double value)
    {
        if (!double.IsFinite(value)) return "null";
        if (value == 0) return "0";

        // .NET's "R" gives the shortest digits that round-trip, as ECMAScript requires; only the layout differs.
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        if (r[0] == '-')
        {
            sb.Append('-');
            r = r[1..];
        }
        var exponent = 0;
        var e = r.IndexOf('E');
        if (e >= 0)
        {
            exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }
        var dot = r.IndexOf('.');
        var digits = dot >= 0 ? string.Concat(r.AsSpan(0, dot), r.AsSpan(dot + 1)) : r;
        // n: the position of the decimal point relative to the digit string (value = 0.digits × 10^n).
        var n = (dot >= 0 ? dot : r.Length) + exponent;
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') lead++;
        digits = digits[lead..].TrimEnd('0');
        n -= lead;
        var k = digits.Length;

        if (k <= n && n <= 21) sb.Append(digits).Append('0', n - k);
        else if (0 < n && n <= 21) sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        else if (-6 < n && n <= 0) sb.Append("0.").Append('0', -n).Append(digits);
        else
        {
            sb.Append(digits[0]);
            if (k > 1) sb.Append('.').Append(digits, 1, k - 1);
            var exp = n - 1;
            sb.Append('e').Append(exp < 0 ? '-' : '+').Append(Math.Abs(exp).ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
