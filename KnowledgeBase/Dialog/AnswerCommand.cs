namespace BotEngine.KnowledgeBase;

/// <summary>An answer whose text is a command instead of a message.</summary>
public abstract record AnswerCommand
{
    /// <summary>To operators, optionally of a line and with skills: <c>/operator [LINE] [skills=A,B]</c>.</summary>
    public sealed record Operator(string? Line, IReadOnlyList<string> Skills) : AnswerCommand;
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
            case "/operator" when TryParseOperator(parts, out var op):
                command = op;
                break;
            case "/redirect" when parts.Length == 2:
                command = new Redirect(parts[1]);
                break;
            case "/close" when parts.Length == 1:
                command = new Close();
                break;
            default:
                error = $"'{text}' is not a command: use '/operator [LINE] [skills=A,B]', '/redirect AGENT_ID' or '/close'";
                break;
        }
        return true;
    }

    private static bool TryParseOperator(string[] parts, out Operator? command)
    {
        command = null;
        string? line = null;
        IReadOnlyList<string>? skills = null;
        foreach (var part in parts.Skip(1))
        {
            if (part.StartsWith(SkillsPrefix, StringComparison.Ordinal) && skills is null)
            {
                skills = part[SkillsPrefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (skills.Count == 0)
                    return false;
            }
            else if (line is null && skills is null && !part.Contains('='))
                line = part;
            else
                return false;
        }
        command = new Operator(line, skills ?? []);
        return true;
    }

    private const string SkillsPrefix = "skills=";
}
