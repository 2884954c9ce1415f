/** The task verbs behind /api/v1.0/tasks, and the Drydock Task serializer. */
export { TOP_LEVEL_ACTIONS, type TopLevelAction } from '../../orchestrator/types.ts';
export { createTask, type CreateTaskInput } from './create.ts';
export { normalizeTaskId } from './ids.ts';
export { listTasks, DEFAULT_TASK_PAGE, MAX_TASK_PAGE, type TaskListOptions, type TaskPage } from './list.ts';
export { loadTask, loadTasks, serializeTaskRows, type LoadOptions } from './load.ts';
export { deleteTasksOlderThan } from './retention.ts';
export {
  toDrydockMessage,
  toDrydockTask,
  TASK_API_VERSION,
  type DrydockTask,
  type DrydockTaskMessage,
  type DrydockTaskResult,
  type ResultMessageRow,
  type TaskRow,
} from './serialize.ts';
export { getTaskView, taskBuildData, type SubtaskError, type TaskViewOptions } from './view.ts';
export { taskAndRoot, terminateTask } from './terminate.ts';
export { openEventCursor, readEvents, type EventCursor, type TaskEvent } from './events-read.ts';
export { waitForEvents } from './events-wait.ts';
