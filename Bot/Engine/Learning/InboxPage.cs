namespace BotEngine.Engine.Learning;

/// <summary>A page of the labelling inbox; <see cref="Total"/> counts groups, <see cref="Scanned"/> the misses grouped (capped).</summary>
public sealed record InboxPage(IReadOnlyList<InboxGroup> Groups, int Total, int Scanned);
