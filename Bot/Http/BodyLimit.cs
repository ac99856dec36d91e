namespace BotEngine.Http;

/// <summary>Which of the configured body limits a route takes.</summary>
public enum BodyLimit
{
    Default,
    DirectLineActivity,
    KbImport,
    Upload,
}
