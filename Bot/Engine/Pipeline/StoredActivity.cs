using System.Data.Common;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using Dapper;

namespace BotEngine.Engine.Pipeline;

/// <summary>An activity as stored: the object and its JSON, serialised once.</summary>
public sealed record StoredActivity(Activity Activity, string Json);
