/**
 * Daily written-homework limits in minutes by school grade, from China's 2021 "double
 * reduction" rules (减轻义务教育阶段学生作业负担和校外培训负担的意见): none in grades 1–2,
 * at most 60 minutes on average in grades 3–6 and 90 minutes in grades 7–9. The rules cover
 * compulsory education only, so grades 10–12 have no limit here (null), as do unknown grades.
 */
export function homeworkLimitMinutes(grade: number): number | null {
  if (grade === 1 || grade === 2) return 0;
  if (grade >= 3 && grade <= 6) return 60;
  if (grade >= 7 && grade <= 9) return 90;
  return null;
}
