using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using Dapper;

namespace BotEngine.Engine.Pipeline;

public enum ReplayOutcome
{
    Replayed,
    NotFound,
    NotParked,
    DialogClosed,
}
