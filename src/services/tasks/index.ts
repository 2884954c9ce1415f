/** The task verbs behind /api/v1.0/tasks, and the Drydock Task serializer. */
export { createTask, taskRequestContext, type CreateTaskContext, type CreateTaskInput } from './create.ts';
export { normalizeTaskId } from './ids.ts';
export { listTasks, parseTaskPageLimit, DEFAULT_TASK_PAGE, MAX_TASK_PAGE, type TaskListOptions, type TaskPage } from './list.ts';
export { loadTask, loadTasks, serializeTaskRows, type LoadOptions } from './load.ts';
export { deleteTasksOlderThan, type RetentionContext } from './retention.ts';
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
export { getTaskView, type SubtaskError, type TaskViewOptions } from './view.ts';
export { taskAndRoot, terminateTask, type TerminateContext } from './terminate.ts';
