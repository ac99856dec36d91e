using BotEngine.Engine.Schema;

namespace BotEngine.Engine.Pipeline;

/// <summary>An activity as stored: the object and its JSON, serialised once.</summary>
public sealed record StoredActivity(Activity Activity, string Json);
