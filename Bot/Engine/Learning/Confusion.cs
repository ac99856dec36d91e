namespace BotEngine.Engine.Learning;

/// <summary>Held-out examples of <paramref name="Intent"/> the model answered with <paramref name="Answer"/> instead, with a few of their texts.</summary>
public sealed record Confusion(string Intent, string Answer, int Count, IReadOnlyList<string> Examples);
