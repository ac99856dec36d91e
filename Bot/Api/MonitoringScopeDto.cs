namespace BotEngine.Bot.Api;

/// <summary>The call centres, languages and lines a supervisor watches (an empty list: all of that kind).</summary>
public sealed record MonitoringScopeDto(IReadOnlyCollection<string> CallCentres, IReadOnlyCollection<string> Languages, IReadOnlyCollection<string> Lines);
