namespace BotEngine.KnowledgeBase;

/// <summary>One problem in a KB document; <see cref="Path"/> names the field, e.g. <c>articles[3].answers[0].buttons[1].article</c>.</summary>
public sealed record KbValidationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
