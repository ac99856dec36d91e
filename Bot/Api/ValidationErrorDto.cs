namespace BotEngine.Bot.Api;

/// <summary>One validation problem: the field's path, the English message, and a code (with the value it quotes) a page turns into its own language.</summary>
public sealed record ValidationErrorDto(string Path, string Message, string? Code = null, string? Value = null);
