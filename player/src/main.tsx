import { render } from 'preact';
import { Root } from './components/Root';
import './styles.css';

render(<Root />, document.getElementById('app')!);
