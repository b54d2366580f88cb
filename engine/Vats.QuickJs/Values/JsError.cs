namespace Vats.QuickJs;

/// <summary>
/// A value thrown by JavaScript, described by its <c>name</c>, <c>message</c> and <c>stack</c> properties (each empty when
/// absent). A thrown primitive (<c>throw 5</c>) has an empty name and its string form as the message.
/// </summary>
/// <param name="Name">The error's <c>name</c>, e.g. <c>TypeError</c>.</param>
/// <param name="Message">The error's <c>message</c>.</param>
/// <param name="Stack">QuickJS's stack trace, one <c>    at …</c> line per frame.</param>
public sealed record JsError(string Name, string Message, string Stack)
{
    /// <summary>"Name: message", as JavaScript's <c>String(error)</c> renders an Error.</summary>
    public override string ToString() => Name.Length == 0 ? Message : Message.Length == 0 ? Name : $"{Name}: {Message}";
}
