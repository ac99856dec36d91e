namespace BotEngine.Handoff;

public static class OperatorStatusNames
{
    public static string ToName(this OperatorStatus status) => status switch
    {
        OperatorStatus.Offline => "offline",
        OperatorStatus.Online => "online",
        OperatorStatus.Invisible => "invisible",
        OperatorStatus.Lunch => "lunch",
        OperatorStatus.Training => "training",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParse(string name, out OperatorStatus status)
    {
        foreach (var s in Enum.GetValues<OperatorStatus>())
        {
            if (string.Equals(s.ToName(), name, StringComparison.OrdinalIgnoreCase))
            {
                status = s;
                return true;
            }
        }

        status = default;
        return false;
    }
}
