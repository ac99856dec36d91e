namespace BotEngine.KnowledgeBase;

/// <summary>An answer whose text is a command instead of a message.</summary>
public abstract record AnswerCommand
{
    public sealed record Operator(string? Line) : AnswerCommand;
    public sealed record Redirect(string AgentId) : AnswerCommand;
    public sealed record Close : AnswerCommand;

    /// <summary>False when the text is not a command (does not start with '/'); otherwise the command or an error.</summary>
    public static bool TryParse(string text, out AnswerCommand? command, out string? error)
    {
        command = null;
        error = null;
        text = text.Trim();
        if (!text.StartsWith('/'))
            return false;
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        switch (parts[0])
        {
            case "/operator" when parts.Length <= 2:
                command = new Operator(parts.Length == 2 ? parts[1] : null);
                break;
            case "/redirect" when parts.Length == 2:
                command = new Redirect(parts[1]);
                break;
            case "/close" when parts.Length == 1:
                command = new Close();
                break;
            default:
                error = $"'{text}' is not a command: use '/operator [line]', '/redirect AGENT_ID' or '/close'";
                break;
        }
        return true;
    }
}
