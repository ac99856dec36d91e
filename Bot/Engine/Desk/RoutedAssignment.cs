using System.Data.Common;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Handoff;
using Dapper;
using HandoffDialog = BotEngine.Handoff.Dialog;

namespace BotEngine.Engine.Desk;

public sealed record RoutedAssignment(string DialogId, string OperatorId, long ElapsedTicks);
