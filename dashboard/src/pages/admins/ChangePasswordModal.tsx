import { App, Form, Input, Modal } from 'antd';
import { useMutation } from 'urql';
import { useI18n } from '../../i18n/I18nContext';
import { errorLine } from '../../api/errors';
import { ChangeMyPasswordMutation } from './operations';
import { PasswordFields } from './AdminsPage';

/** 修改密码 from the user menu. */
export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ oldPassword: string; newPassword: string }>();
  const [{ fetching }, change] = useMutation(ChangeMyPasswordMutation);
  return (
    <Modal
      open={open}
      title={t('header.changePassword')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={fetching}
      onCancel={onClose}
      destroyOnHidden
      onOk={async () => {
        const v = await form.validateFields();
        const r = await change({ oldPassword: v.oldPassword, newPassword: v.newPassword });
        if (r.error) {
          message.error(errorLine(r.error, lang));
          return;
        }
        message.success(t('admins.passwordChanged'));
        onClose();
      }}
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="oldPassword" label={t('admins.oldPassword')} rules={[{ required: true, message: t('signIn.passwordRequired') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <PasswordFields name="newPassword" label={t('admins.newPassword')} />
      </Form>
    </Modal>
  );
}
