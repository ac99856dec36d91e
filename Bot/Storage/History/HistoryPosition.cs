namespace BotEngine.Storage.History;

/// <summary>A place in the history order (opened_at, then id, both descending): the last dialog of a page.</summary>
public sealed record HistoryPosition(long OpenedAt, string DialogId);
