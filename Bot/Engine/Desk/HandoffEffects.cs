using System.Data.Common;
using BotEngine.Engine.Knowledge;
using BotEngine.Storage;
using BotEngine.Handoff;
using Dapper;

namespace BotEngine.Engine.Desk;

public sealed record HandoffEffects(IReadOnlyList<MessageRow> Sent, bool NeedsRouting);
