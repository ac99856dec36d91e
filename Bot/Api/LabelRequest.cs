namespace BotEngine.Bot.Api;

/// <summary>
/// A label: what (a typed <see cref="Text"/> with an optional <see cref="Language"/>, one inbox message
/// <see cref="MessageId"/>, or a whole group <see cref="MessageIds"/>) and its answer (<see cref="ArticleId"/>, or
/// <see cref="OutOfScope"/> for "not an intent").
/// </summary>
public sealed record LabelRequest(string? Text, string? Language, string? MessageId, string[]? MessageIds, string? ArticleId, bool? OutOfScope);
