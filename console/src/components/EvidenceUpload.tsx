import { Alert, Button, Flex, Form, Progress, Select } from 'antd';
import { useRef, useState } from 'react';
import { asProblem, type Problem } from '../api/client';
import { uploadEvidence, type EvidenceQuery } from '../api/upload';
import { useLang, useT } from '../i18n';
import { phaseName } from '../labels';
import { fieldMessage } from './problemFields';

const ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf';

/** 上传证据: a photo (before, during, after) or a document, with its upload progress and the API's refusal in Chinese. */
export function EvidenceUpload({ caseId, onDone }: { caseId: string; onDone(): void }) {
  const t = useT();
  const { lang } = useLang();
  const input = useRef<HTMLInputElement>(null);
  const [phase, setPhase] = useState<EvidenceQuery['phase']>('before');
  const [percent, setPercent] = useState<number>();
  const [problem, setProblem] = useState<Problem>();

  const send = async (file: File) => {
    setProblem(undefined);
    setPercent(0);
    try {
      await uploadEvidence(caseId, file, { phase, filename: file.name }, setPercent);
      onDone();
    } catch (e) {
      setProblem(asProblem(e));
    } finally {
      setPercent(undefined);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <section aria-label={t('上传证据', 'Upload evidence')} style={{ marginTop: 12 }}>
      {problem && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 8 }}
          title={lang === 'zh' ? problem.titleZh : problem.title}
          description={problem.errors?.map((e) => fieldMessage(e, lang)).join('；') ?? problem.detail}
        />
      )}
      <Flex gap={8} wrap align="center">
        <Form.Item label={t('证据阶段', 'Phase')} htmlFor="evidence-phase" style={{ margin: 0 }}>
          <Select<EvidenceQuery['phase']>
            id="evidence-phase"
            style={{ width: 140 }}
            value={phase}
            onChange={setPhase}
            options={(['before', 'during', 'after', 'document'] as const).map((p) => ({ value: p, label: phaseName(p, lang) }))}
          />
        </Form.Item>
        <input ref={input} id="evidence-file" type="file" accept={ACCEPT} hidden aria-label={t('选择证据文件', 'Choose a file')} onChange={(e) => e.target.files?.[0] && void send(e.target.files[0])} />
        <Button onClick={() => input.current?.click()} disabled={percent !== undefined}>
          {t('选择文件并上传', 'Choose and upload')}
        </Button>
      </Flex>
      {percent !== undefined && <Progress percent={percent} size="small" aria-label={t('上传进度', 'Upload progress')} />}
    </section>
  );
}
