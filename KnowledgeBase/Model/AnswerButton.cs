namespace BotEngine.KnowledgeBase;

public sealed class AnswerButton
{
    public string Label { get; set; } = "";
    /// <summary>Target article id. In the KB exactly one of <see cref="Article"/> and <see cref="Url"/> is set.</summary>
    public string? Article { get; set; }
    public string? Url { get; set; }
    /// <summary>
    /// Set only on buttons the runner makes (dictionary slot options, yes/no): the engine returns it as
    /// <see cref="ClientInput.Payload"/> when the button is pressed. Never stored in the KB.
    /// </summary>
    public string? Value { get; set; }
}
