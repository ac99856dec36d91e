using System.Data.Common;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Handoff;
using Dapper;
using HandoffDialog = BotEngine.Handoff.Dialog;

namespace BotEngine.Engine.Desk;

/// <summary>Wakes the routing loop; many requests before it runs coalesce into one pass.</summary>
public sealed class AssignmentSignal : WakeSignal;
