import { Alert, Button, Card, Form, Select } from 'antd';
import type { ReactNode } from 'react';
import type { Problem } from '../api/client';
import { useLang, useT } from '../i18n';

/**
 * A list page's filters: one inline form in a card, its fields given as children, a 查询 button;
 * searching hands the values over (the page goes back to its first page of results).
 */
export function FilterBar<F extends object>({ onSearch, initialValues, children }: { onSearch: (values: F) => void; initialValues?: Partial<F>; children: ReactNode }) {
  const t = useT();
  return (
    <Card size="small" style={{ marginBottom: 12 }}>
      <Form<F> layout="inline" style={{ rowGap: 8 }} initialValues={initialValues} onFinish={onSearch}>
        {children}
        <Form.Item>
          <Button type="primary" htmlType="submit">
            {t('查询', 'Search')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

/** A yes / no / either filter (the API's `true` / `false` query values). */
export function YesNoFilter({ label, name }: { label: string; name: string }) {
  const t = useT();
  return (
    <Form.Item label={label} name={name}>
      <Select allowClear style={{ width: 100 }} options={[{ value: 'true', label: t('是', 'yes') }, { value: 'false', label: t('否', 'no') }]} />
    </Form.Item>
  );
}

/** The API's problem (problem+json) above a list, in the reader's language. */
export function ProblemAlert({ problem }: { problem: Problem }) {
  const { lang } = useLang();
  return <Alert type="error" showIcon title={lang === 'zh' ? problem.titleZh : problem.title} description={problem.detail} style={{ marginBottom: 12 }} />;
}
