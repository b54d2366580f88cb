namespace Vats.Bundler.Lexing;

internal enum TokenKind
{
    Identifier,
    Punctuator,
    Number,
    String,
    /// <summary>A whole template without substitutions, or its head/middle/tail piece.</summary>
    Template,
    Regex,
    PrivateName,
    End,
}

/// <summary>One significant token; comments and whitespace live between tokens.</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int End, int Depth, bool NewlineBefore, bool InClassBody = false)
{
    public int Length => End - Start;

    public bool Is(string source, string text) =>
        Kind is TokenKind.Identifier or TokenKind.Punctuator
        && End - Start == text.Length
        && string.CompareOrdinal(source, Start, text, 0, text.Length) == 0;

    public string Text(string source) => source.Substring(Start, End - Start);
}

/// <summary>A comment's span in the source, kept so the censor pass can defang it.</summary>
internal readonly record struct Comment(int Start, int End, bool IsBlock);
